#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdint.h>
#include <string.h>

/* Hides 8-bit storage from Vulkan feature queries so ncnn keeps int8 tensors out of storage buffers
   (lavapipe's int8 storage wraps negative values). Pointers are opaque here: no Vulkan headers needed. */

typedef struct Chain { int32_t sType; struct Chain *pNext; } Chain;
typedef void (*Features2)(void *device, void *features);
typedef void *(*GetProc)(void *instance, const char *name);

static void scrub(void *features) {
  for (Chain *c = features; c; c = c->pNext) {
    uint32_t *b = (uint32_t *)((char *)c + 16);
    if (c->sType == 1000177000) { b[0] = b[1] = b[2] = 0; }          /* VkPhysicalDevice8BitStorageFeatures */
    else if (c->sType == 51) { b[2] = b[3] = b[4] = 0; }              /* VkPhysicalDeviceVulkan12Features */
  }
}

static Features2 real2, realKHR;
static void hooked2(void *d, void *f) { real2(d, f); scrub(f); }
static void hookedKHR(void *d, void *f) { realKHR(d, f); scrub(f); }

void vkGetPhysicalDeviceFeatures2(void *d, void *f) {
  if (!real2) real2 = (Features2)dlsym(RTLD_NEXT, "vkGetPhysicalDeviceFeatures2");
  hooked2(d, f);
}

void *vkGetInstanceProcAddr(void *instance, const char *name) {
  static GetProc real;
  if (!real) real = (GetProc)dlsym(RTLD_NEXT, "vkGetInstanceProcAddr");
  void *p = real(instance, name);
  if (p && strcmp(name, "vkGetPhysicalDeviceFeatures2") == 0) { real2 = (Features2)p; return (void *)hooked2; }
  if (p && strcmp(name, "vkGetPhysicalDeviceFeatures2KHR") == 0) { realKHR = (Features2)p; return (void *)hookedKHR; }
  return p;
}
