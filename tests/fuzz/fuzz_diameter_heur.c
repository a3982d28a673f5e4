/* libFuzzer target: Diameter's heuristic path (a TCP port that is not
 * 3868, where only a consistent header and AVPs are taken). Seeds:
 * `mobilegen seeds DIR` writes DIR/diameter_heur/. */
#include "fuzz_mobile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_one(dis_diameter, IPPROTO_TCP, 20868, 0, data, size);
}
