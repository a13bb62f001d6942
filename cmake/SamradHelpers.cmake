# Small helpers so that every library, binary and test is declared the same way.

set(SAMRAD_WARNINGS -Wall -Wextra -Wno-unused-parameter)
if(SAMRAD_WERROR)
  list(APPEND SAMRAD_WARNINGS -Werror)
endif()

# samrad_library(NAME SRCS ... DEPS ...)
# A static library whose includes are rooted at the repository.
function(samrad_library name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SRCS})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR}/proto)
  target_compile_options(${name} PRIVATE ${SAMRAD_WARNINGS})
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
endfunction()

# samrad_binary(NAME SRCS ... DEPS ...)
function(samrad_binary name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SRCS})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR}/proto)
  target_compile_options(${name} PRIVATE ${SAMRAD_WARNINGS})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS})
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/bin)
endfunction()

# samrad_test_binary(NAME SRCS ... DEPS ...)
# A helper program that tests start as a child process (not a test itself). It lands in
# build/tests/ beside the tests.
function(samrad_test_binary name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SRCS})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR}/proto)
  target_compile_options(${name} PRIVATE ${SAMRAD_WARNINGS})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS})
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/tests)
endfunction()

# samrad_test(NAME SRCS ... DEPS ... [LABELS ...] [TIMEOUT s] [RUN_SERIAL])
# A GoogleTest binary registered with ctest as one test. Binaries of the project are
# reachable through the SAMRAD_BIN_DIR environment variable.
function(samrad_test name)
  cmake_parse_arguments(ARG "RUN_SERIAL" "TIMEOUT" "SRCS;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SRCS})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR}/proto)
  target_compile_options(${name} PRIVATE ${SAMRAD_WARNINGS})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/tests)
  add_test(NAME ${name} COMMAND ${name})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  set_tests_properties(${name} PROPERTIES
    TIMEOUT ${ARG_TIMEOUT}
    ENVIRONMENT "SAMRAD_BIN_DIR=${PROJECT_BINARY_DIR}/bin;SAMRAD_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
  if(ARG_LABELS)
    set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABELS}")
  endif()
  if(ARG_RUN_SERIAL)
    set_tests_properties(${name} PROPERTIES RUN_SERIAL TRUE)
  endif()
endfunction()

# samrad_benchmark(NAME SRCS ... DEPS ...)
function(samrad_benchmark name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SRCS})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR}/proto)
  target_compile_options(${name} PRIVATE ${SAMRAD_WARNINGS})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} benchmark::benchmark)
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/bench)
endfunction()

# samrad_proto_library(NAME PROTOS a.proto ... [GRPC] DEPS ...)
# Generates C++ (and gRPC stubs with GRPC) once into ${PROJECT_BINARY_DIR}/proto. PROTOS are
# paths relative to proto/. Without GRPC, NAME is the messages' static library. With GRPC,
# NAME_messages holds the messages alone (what a domain library may link: no gRPC) and NAME
# adds the service stubs and links gRPC.
function(samrad_proto_library name)
  cmake_parse_arguments(ARG "GRPC" "" "PROTOS;DEPS" ${ARGN})
  set(out_dir ${PROJECT_BINARY_DIR}/proto)
  set(srcs)
  set(grpc_srcs)
  set(hdrs)
  set(abs_protos)
  foreach(proto ${ARG_PROTOS})
    string(REGEX REPLACE "\\.proto$" "" base ${proto})
    list(APPEND abs_protos ${PROJECT_SOURCE_DIR}/proto/${proto})
    list(APPEND srcs ${out_dir}/${base}.pb.cc)
    list(APPEND hdrs ${out_dir}/${base}.pb.h)
    if(ARG_GRPC)
      list(APPEND grpc_srcs ${out_dir}/${base}.grpc.pb.cc)
      list(APPEND hdrs ${out_dir}/${base}.grpc.pb.h)
    endif()
  endforeach()
  set(grpc_args)
  if(ARG_GRPC)
    set(grpc_args --grpc_out=${out_dir} --plugin=protoc-gen-grpc=${SAMRAD_GRPC_CPP_PLUGIN})
  endif()
  add_custom_command(
    OUTPUT ${srcs} ${grpc_srcs} ${hdrs}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${out_dir}
    COMMAND ${SAMRAD_PROTOC} -I${PROJECT_SOURCE_DIR}/proto --cpp_out=${out_dir} ${grpc_args}
            ${ARG_PROTOS}
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}/proto
    DEPENDS ${abs_protos}
    COMMENT "protoc ${name}")
  if(ARG_GRPC)
    add_library(${name}_messages STATIC ${srcs})
    target_include_directories(${name}_messages PUBLIC ${out_dir})
    target_link_libraries(${name}_messages PUBLIC protobuf::libprotobuf ${ARG_DEPS})
    add_library(${name} STATIC ${grpc_srcs})
    target_include_directories(${name} PUBLIC ${out_dir})
    target_link_libraries(${name} PUBLIC ${name}_messages gRPC::grpc++)
  else()
    add_library(${name} STATIC ${srcs})
    target_include_directories(${name} PUBLIC ${out_dir})
    target_link_libraries(${name} PUBLIC protobuf::libprotobuf ${ARG_DEPS})
  endif()
endfunction()

# samrad_require_pure(TARGET ...)
# Fails the configure step when a target links, directly or through any of its
# dependencies, gRPC or RocksDB: domain libraries are pure (DESIGN.md "Code"), so that the
# rules can be tested with no I/O and reused by every adapter. Call it after every target is
# declared (the top-level CMakeLists.txt does).
set(SAMRAD_IMPURE_LIBRARIES gRPC::grpc++ gRPC::grpc gRPC::grpc++_reflection RocksDB::rocksdb
    rocksdb)

function(_samrad_collect_links target out_var)
  set(seen ${${out_var}})
  if(target IN_LIST seen)
    return()
  endif()
  list(APPEND seen ${target})
  if(TARGET ${target})
    get_target_property(aliased ${target} ALIASED_TARGET)
    if(aliased)
      _samrad_collect_links(${aliased} seen)
    endif()
    get_target_property(type ${target} TYPE)
    set(links)
    if(NOT type STREQUAL "INTERFACE_LIBRARY")
      get_target_property(direct ${target} LINK_LIBRARIES)
      if(direct)
        list(APPEND links ${direct})
      endif()
    endif()
    get_target_property(interface ${target} INTERFACE_LINK_LIBRARIES)
    if(interface)
      list(APPEND links ${interface})
    endif()
    foreach(link ${links})
      # Generator expressions such as $<LINK_ONLY:x> name a library too.
      string(REGEX REPLACE "^\\$<LINK_ONLY:(.*)>$" "\\1" link "${link}")
      if(NOT link MATCHES "^\\$<")
        _samrad_collect_links(${link} seen)
      endif()
    endforeach()
  endif()
  set(${out_var} ${seen} PARENT_SCOPE)
endfunction()

function(samrad_require_pure)
  foreach(target ${ARGN})
    set(linked)
    _samrad_collect_links(${target} linked)
    foreach(impure ${SAMRAD_IMPURE_LIBRARIES})
      if(impure IN_LIST linked)
        message(FATAL_ERROR "${target} is a domain library and must not link ${impure} "
                            "(directly or through a dependency); move the I/O to the "
                            "service's api/ or projection/ (DESIGN.md \"Code\").")
      endif()
    endforeach()
  endforeach()
endfunction()
