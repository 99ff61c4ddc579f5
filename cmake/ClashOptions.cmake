# Compiler flags shared by every Clash target: warnings, -Werror in CI, sanitizers, ccache.
find_program(CLASH_CCACHE ccache)
if(CLASH_CCACHE)
  set(CMAKE_CXX_COMPILER_LAUNCHER ${CLASH_CCACHE})
endif()

add_library(clash_warnings INTERFACE)
# -Wno-missing-field-initializers: option and value structs give every member a default, and
# designated initializers name only what differs ({.user_id = id, .amount = 5}); the warning would
# make every new optional member a breaking change for callers.
# -Wshadow=local is GCC's; clang (the fuzz build) has no equivalent that leaves lambdas alone.
target_compile_options(clash_warnings INTERFACE -Wall -Wextra -Wpedantic $<$<CXX_COMPILER_ID:GNU>:-Wshadow=local>
                       -Wnon-virtual-dtor -Wno-missing-field-initializers)
if(CLASH_WERROR)
  target_compile_options(clash_warnings INTERFACE -Werror)
endif()

if(CLASH_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  # GCC 12 reports false maybe-uninitialized warnings inside libstdc++ (std::regex, std::function)
  # when the sanitizers instrument optimised code.
  add_compile_options(-Wno-maybe-uninitialized)
  add_link_options(-fsanitize=address,undefined)
endif()

# Fuzzing (fuzz/, clang only): every object is instrumented for libFuzzer's coverage plus ASan+UBSan;
# only the fuzz targets link libFuzzer's main (-fsanitize=fuzzer in fuzz/CMakeLists.txt).
if(CLASH_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "CLASH_FUZZ needs clang (-DCMAKE_CXX_COMPILER=clang++-15)")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
# ThreadSanitizer (the concurrency tests, scripts/test.sh): gcc or clang. Suppressions for third-party
# code only, in tests/tsan.supp (TSAN_OPTIONS=suppressions=...).
if(CLASH_TSAN)
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # GCC warns that TSan does not instrument std::atomic_thread_fence; Clash uses none itself.
    add_compile_options(-Wno-tsan)
  endif()
endif()

# clash_target_defaults(<target>): warnings for code we own (not for third-party headers).
# BUILD_INTERFACE: static libraries export their private links, and the warning flags are not part of
# what an embedder links.
function(clash_target_defaults target)
  target_link_libraries(${target} PRIVATE $<BUILD_INTERFACE:clash_warnings>)
endfunction()
