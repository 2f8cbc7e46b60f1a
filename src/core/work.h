/*
 * work.h -- the real work: a CPU kernel calibrated so that MS ms of work
 * takes MS ms on an idle core, done in small chunks, and a real primality
 * check for the scenarios that use one.
 */
#ifndef CONCTUI_WORK_H
#define CONCTUI_WORK_H

#include <stdbool.h>
#include <stdint.h>

#define WORK_CHUNK_US 50 /* one chunk of computation, between two probes */

/*
 * Measures the kernel's speed (a few ms), unless CONCTUI_CALIBRATION gives
 * it in iterations per ms (for benchmarks and runs that must do the same
 * work every time).  Safe to call more than once.
 */
void work_calibrate(void);
/* Kernel iterations in one millisecond, and in one chunk. */
uint64_t work_iters_per_ms(void);
uint64_t work_chunk_iters(void);
/* Nominal length of one chunk in ns. */
uint64_t work_chunk_ns(void);
/* Chunks that make up MS ms of computation (at least 1 for MS > 0). */
uint64_t work_chunks_for(double ms);
/* Runs ITERS iterations of real arithmetic; the result defeats the optimiser. */
uint64_t work_crunch(uint64_t iters);
/* Trial division: true if N is prime. */
bool work_is_prime(uint64_t n);

#endif
