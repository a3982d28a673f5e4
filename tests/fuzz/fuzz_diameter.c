/* libFuzzer target: the diameter dissector (collectors/pcap/mobile). Seeds:
 * `mobilegen seeds DIR` writes DIR/diameter/. */
#include "fuzz_mobile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_one(dis_diameter, IPPROTO_TCP, 3868, 0, data, size);
}
