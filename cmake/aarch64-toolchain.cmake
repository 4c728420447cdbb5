# Cross-compiling the course for 64-bit ARM (Raspberry Pi 4/5 class) with Debian's cross toolchain.
# Not a sysroot build: Debian's multiarch puts the arm64 libraries beside the native ones
# (/usr/lib/aarch64-linux-gnu), installed by `TT_ARM64=1 ./scripts/setup`. Used by `cmake --preset arm64`.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
foreach(tool aarch64-linux-gnu-g++ qemu-aarch64)
  find_program(tt_tool_${tool} ${tool})
  if(NOT tt_tool_${tool})
    message(FATAL_ERROR "${tool} not found: the arm64 build needs Debian's cross compiler and qemu-user. "
                        "Install them with: TT_ARM64=1 ./scripts/setup")
  endif()
endforeach()
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
# find_package/find_library look in arm64's multiarch directories (/usr/lib/aarch64-linux-gnu/…).
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
# xtensor, xsimd and xtensor-blas are header-only: the native packages' CMake files serve.
foreach(pkg xtensor xsimd xtensor-blas)
  if(NOT ${pkg}_DIR AND EXISTS /usr/lib/x86_64-linux-gnu/cmake/${pkg})
    set(${pkg}_DIR /usr/lib/x86_64-linux-gnu/cmake/${pkg})
  endif()
endforeach()
# Test programs run through qemu-user with the arm64 multiarch root (/lib/ld-linux-aarch64.so.1,
# /lib/aarch64-linux-gnu). Not -L /usr/aarch64-linux-gnu: that loader with the multiarch libc (a
# different build) hangs every program at its first pthread_create.
if(NOT CMAKE_CROSSCOMPILING_EMULATOR)
  set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64 -L /)
endif()
