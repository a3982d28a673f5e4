/* libFuzzer target: the gtpc dissector (collectors/pcap/mobile). Seeds:
 * `mobilegen seeds DIR` writes DIR/gtpc/. */
#include "fuzz_mobile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_one(dis_gtpc, IPPROTO_UDP, 2123, 0, data, size);
}
