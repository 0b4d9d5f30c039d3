# A repository holding one cc_library that links the host's gRPC and protobuf, with the flags
# `pkg-config --cflags/--libs grpc++ protobuf` prints. Read once per fetch, so the build stays offline.

def _system_libs_impl(ctx):
    pkg_config = ctx.which("pkg-config")
    if pkg_config == None:
        fail("pkg-config not found; install it (apt-get install pkg-config libgrpc++-dev libprotobuf-dev)")
    libs = ctx.execute([pkg_config, "--libs", "grpc++", "protobuf"])
    if libs.return_code != 0:
        fail("pkg-config --libs grpc++ protobuf failed: " + libs.stderr.strip() +
             "; install libgrpc++-dev and libprotobuf-dev")
    cflags = ctx.execute([pkg_config, "--cflags", "grpc++", "protobuf"])
    linkopts = libs.stdout.strip().split(" ")
    copts = [f for f in cflags.stdout.strip().split(" ") if f and not f.startswith("-I")]
    ctx.file("WORKSPACE", "workspace(name = \"%s\")\n" % ctx.name)
    ctx.file("BUILD", """
cc_library(
    name = "grpc++",
    copts = {copts},
    linkopts = {linkopts} + ["-lpthread"],
    visibility = ["//visibility:public"],
)
""".format(copts = repr(copts), linkopts = repr([l for l in linkopts if l])))

system_libs = repository_rule(
    implementation = _system_libs_impl,
    local = True,
    environ = ["PKG_CONFIG_PATH"],
)
