/* libFuzzer target for the whole frame path: link types, VLANs, ARP,
 * IPv4/IPv6 and extension headers, TCP/UDP/SCTP, every tunnel, and every
 * dissector behind them. */
#include "fuzz_body.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_frame_one(data, size);
	return 0;
}
