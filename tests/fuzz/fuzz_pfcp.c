/* libFuzzer target: the pfcp dissector (collectors/pcap/mobile). Seeds:
 * `mobilegen seeds DIR` writes DIR/pfcp/. */
#include "fuzz_mobile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_one(dis_pfcp, IPPROTO_UDP, 8805, 0, data, size);
}
