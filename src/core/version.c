#include <neurodyn/core.h>

#ifndef ND_VERSION
#  define ND_VERSION "unknown"
#endif
#ifndef ND_GIT_COMMIT
#  define ND_GIT_COMMIT "unknown"
#endif

const char *NdVersion(void)
{
  return ND_VERSION;
}

const char *NdGitCommit(void)
{
  return ND_GIT_COMMIT;
}
