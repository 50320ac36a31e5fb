#ifndef FORMATION_REGISTRY_DATA_H
#define FORMATION_REGISTRY_DATA_H

#include <stddef.h>

/// The registry bundle embedded in the binary (data/registry/registry.bin, see registry.S).
const unsigned char *formation_registry_bytes(void);
/// Its size in bytes.
size_t formation_registry_size(void);

/// The IAM action table embedded in the binary (data/iam/actions.bin, see iam.S).
const unsigned char *formation_iam_bytes(void);
/// Its size in bytes.
size_t formation_iam_size(void);

/// Inflates one zlib stream of `source_length` bytes into `destination`, which holds exactly
/// `destination_length` bytes. 0 when the stream inflated to exactly that many bytes with a
/// correct checksum; otherwise a negative zlib error code, or 1 when the length differs.
int formation_registry_inflate(const unsigned char *source, size_t source_length,
                               unsigned char *destination, size_t destination_length);

#endif
