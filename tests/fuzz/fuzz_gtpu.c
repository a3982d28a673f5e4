/* libFuzzer target: the gtpu dissector (collectors/pcap/mobile). Seeds:
 * `mobilegen seeds DIR` writes DIR/gtpu/. */
#include "fuzz_mobile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_one(dis_gtpu_msg, IPPROTO_UDP, 2152, 0, data, size);
}
