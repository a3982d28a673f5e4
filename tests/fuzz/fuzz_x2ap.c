/* libFuzzer target: the x2ap dissector (collectors/pcap/mobile). Seeds:
 * `mobilegen seeds DIR` writes DIR/x2ap/. */
#include "fuzz_mobile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_one(dis_x2ap, IPPROTO_SCTP, 36422, 27, data, size);
}
