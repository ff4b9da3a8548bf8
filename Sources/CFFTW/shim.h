#ifndef XLING_CFFTW_SHIM_H
#define XLING_CFFTW_SHIM_H
// Debian: libfftw3-dev (fftw3.h; the single-precision library libfftw3f).
#include <fftw3.h>
#endif
