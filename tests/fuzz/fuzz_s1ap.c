/* libFuzzer target: the s1ap dissector (collectors/pcap/mobile). Seeds:
 * `mobilegen seeds DIR` writes DIR/s1ap/. */
#include "fuzz_mobile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_one(dis_s1ap, IPPROTO_SCTP, 36412, 18, data, size);
}
