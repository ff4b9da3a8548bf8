#ifndef XLING_CZLIB_SHIM_H
#define XLING_CZLIB_SHIM_H
// Debian: zlib1g-dev. Streaming reads of .gz corpora, vectors and dictionaries.
#include <zlib.h>
#endif
