#ifndef XLING_COPENBLAS_SHIM_H
#define XLING_COPENBLAS_SHIM_H
// Debian: libopenblas-dev (cblas.h from the openblas-pthread flavour) and liblapacke-dev.
#include <cblas.h>
#include <lapacke.h>
#endif
