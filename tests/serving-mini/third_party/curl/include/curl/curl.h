/* Miniature curl header for the ServingBuild toolkit's tests. */
#ifndef SERVING_MINI_CURL_H
#define SERVING_MINI_CURL_H

#ifdef __cplusplus
extern "C" {
#endif

/* The curl version the unpacked config header describes, e.g. "7.60.0". */
const char *curl_mini_version(void);

#ifdef __cplusplus
}
#endif

#endif
