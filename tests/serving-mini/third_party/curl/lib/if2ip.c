/* Miniature stand-in for a curl source file that, like upstream's on old configurations, includes
 * <stropts.h>. glibc 2.30 dropped that header, so this fails to compile unless an (empty)
 * /usr/include/stropts.h is present: the failure TensorFlow Serving users hit with '@curl//:curl'. */
#include "curl_config.h"

#include <stropts.h>

#include "curl/curl.h"

const char *curl_mini_version(void) { return CURL_MINI_VERSION; }
