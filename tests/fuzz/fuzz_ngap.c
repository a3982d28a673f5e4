/* libFuzzer target: the ngap dissector (collectors/pcap/mobile). Seeds:
 * `mobilegen seeds DIR` writes DIR/ngap/. */
#include "fuzz_mobile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_one(dis_ngap, IPPROTO_SCTP, 38412, 60, data, size);
}
