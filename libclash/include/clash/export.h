// clash/export.h — symbol visibility for the public API.
//
// CLASH_EXPORT marks every class and function that is part of libclash's public surface. Built as a
// static library (the default) it expands to nothing visible; as a shared library it exports the
// symbol while everything else stays hidden.
#pragma once

#if defined(CLASH_SHARED_LIBRARY) && defined(CLASH_COMPILING_LIBRARY)
#define CLASH_EXPORT __attribute__((visibility("default")))
#else
#define CLASH_EXPORT
#endif
