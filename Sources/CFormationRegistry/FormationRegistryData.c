#include "FormationRegistryData.h"

#include <zlib.h>

extern const unsigned char formation_registry_start[];
extern const unsigned char formation_registry_end[];

const unsigned char *formation_registry_bytes(void) {
    return formation_registry_start;
}

size_t formation_registry_size(void) {
    return (size_t)(formation_registry_end - formation_registry_start);
}

extern const unsigned char formation_iam_start[];
extern const unsigned char formation_iam_end[];

const unsigned char *formation_iam_bytes(void) {
    return formation_iam_start;
}

size_t formation_iam_size(void) {
    return (size_t)(formation_iam_end - formation_iam_start);
}

int formation_registry_inflate(const unsigned char *source, size_t source_length,
                               unsigned char *destination, size_t destination_length) {
    if (source_length > (size_t)(uInt)-1 || destination_length > (size_t)(uInt)-1) {
        return Z_BUF_ERROR;
    }
    z_stream stream = {0};
    stream.next_in = (Bytef *)source;
    stream.avail_in = (uInt)source_length;
    stream.next_out = destination;
    stream.avail_out = (uInt)destination_length;
    int status = inflateInit(&stream);
    if (status != Z_OK) {
        return status;
    }
    status = inflate(&stream, Z_FINISH);
    size_t produced = destination_length - stream.avail_out;
    inflateEnd(&stream);
    if (status == Z_STREAM_END) {
        return produced == destination_length ? 0 : 1;
    }
    if (status == Z_BUF_ERROR || status == Z_OK) {
        return 1;  // more output than the recorded length, or a truncated stream
    }
    return status < 0 ? status : Z_DATA_ERROR;
}
