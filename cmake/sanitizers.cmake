# Instrumented builds. DYNAMAX_SANITIZE: every target with AddressSanitizer + UndefinedBehaviorSanitizer, any
# undefined behaviour fatal. DYNAMAX_FUZZ (clang only, implies DYNAMAX_SANITIZE): also coverage-instrumented for
# libFuzzer, and the fuzz/ harnesses built as fuzzers. One such build dir serves the sanitized tests and the fuzzers.
option(DYNAMAX_SANITIZE "Build everything with ASan and UBSan" OFF)
option(DYNAMAX_FUZZ "Build the libFuzzer harnesses of fuzz/ (needs clang; implies DYNAMAX_SANITIZE)" OFF)

if(DYNAMAX_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "DYNAMAX_FUZZ needs clang (configure with CXX=clang++), got ${CMAKE_CXX_COMPILER_ID}")
  endif()
  set(DYNAMAX_SANITIZE ON CACHE BOOL "" FORCE)
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

if(DYNAMAX_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
