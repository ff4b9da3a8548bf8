#ifndef XLING_CZEROMQ_SHIM_H
#define XLING_CZEROMQ_SHIM_H
// Debian: libzmq3-dev. Linked directly, not through pkg-config: libzmq's .pc file adds a
// Kerberos include flag that is not needed and not always installed.
#include <zmq.h>
#endif
