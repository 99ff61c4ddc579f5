# Compiler flags shared by every Clash target: warnings, -Werror in CI, sanitizers, ccache.
find_program(CLASH_CCACHE ccache)
if(CLASH_CCACHE)
  set(CMAKE_CXX_COMPILER_LAUNCHER ${CLASH_CCACHE})
endif()

add_library(clash_warnings INTERFACE)
# -Wno-missing-field-initializers: option and value structs give every member a default, and
# designated initializers name only what differs ({.user_id = id, .amount = 5}); the warning would
# make every new optional member a breaking change for callers.
target_compile_options(clash_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow=local -Wnon-virtual-dtor
                       -Wno-missing-field-initializers)
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

# clash_target_defaults(<target>): warnings for code we own (not for third-party headers).
function(clash_target_defaults target)
  target_link_libraries(${target} PRIVATE clash_warnings)
endfunction()
