/* libFuzzer target: the xnap dissector (collectors/pcap/mobile). Seeds:
 * `mobilegen seeds DIR` writes DIR/xnap/. */
#include "fuzz_mobile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_one(dis_xnap, IPPROTO_SCTP, 38422, 61, data, size);
}
