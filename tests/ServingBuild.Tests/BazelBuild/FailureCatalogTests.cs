using ServingBuild.BazelBuild;

namespace ServingBuild.Tests.BazelBuild;

/// <summary>Each named failure signature against a log excerpt written in the shape Bazel and gcc print it.</summary>
public sealed class FailureCatalogTests
{
    private static IReadOnlyList<string> Lines(string text) => text.Replace("\r", "").Split('\n');

    private static Diagnosis Single(string log)
    {
        var found = FailureCatalog.Diagnose(Lines(log));
        Assert.Single(found);
        return found[0];
    }

    [Fact]
    public void Stropts_missing_in_curl_is_diagnosed_with_the_empty_shim_fix()
    {
        const string log = """
            INFO: Analyzed target //tensorflow_serving/model_servers:tensorflow_model_server (58 packages loaded, 1620 targets configured).
            INFO: Found 1 target...
            ERROR: /root/.cache/bazel/_bazel_root/0b5e/external/curl/BUILD.bazel:18:11: C++ compilation of rule '@curl//:curl' failed (Exit 1): gcc failed: error executing command /usr/bin/gcc -U_FORTIFY_SOURCE -fstack-protector -Wall -Wunused-but-set-parameter -fno-omit-frame-pointer -g0 -O2 -DNDEBUG -ffunction-sections -fdata-sections -MD -MF bazel-out/k8-opt/bin/external/curl/_objs/curl/if2ip.pic.d ... -c external/curl/lib/if2ip.c -o bazel-out/k8-opt/bin/external/curl/_objs/curl/if2ip.pic.o
            external/curl/lib/if2ip.c:54:10: fatal error: stropts.h: No such file or directory
               54 | #include <stropts.h>
                  |          ^~~~~~~~~~~
            compilation terminated.
            Target //tensorflow_serving/model_servers:tensorflow_model_server failed to build
            """;
        var d = Single(log);
        Assert.Equal("stropts-h-missing", d.Signature.Name);
        Assert.Equal(SafeFix.StroptsShim, d.Signature.SafeFix);
        Assert.Contains("touch /usr/include/stropts.h", d.Signature.Fix);
        Assert.Contains("stropts.h: No such file", d.Evidence);
    }

    [Fact]
    public void Bzip2_missing_is_diagnosed_from_the_English_tar_message()
    {
        const string log = """
            ERROR: /root/.cache/bazel/_bazel_root/0b5e/external/curl/BUILD.bazel:4:8: Executing genrule @curl//:curl_config failed (Exit 2): bash failed: error executing command /bin/bash -c 'source external/bazel_tools/tools/genrule/genrule-setup.sh; tar xjf external/curl/curl-config-7.60.0.tar.bz2 -O curl-config-7.60.0/curl_config.h > bazel-out/k8-opt/bin/external/curl/curl_config.h'
            tar (child): bzip2: Cannot exec: No such file or directory
            tar (child): Error is not recoverable: exiting now
            tar: Child returned status 2
            tar: Error is not recoverable: exiting now
            """;
        var d = Single(log);
        Assert.Equal("bzip2-missing", d.Signature.Name);
        Assert.Equal(SafeFix.InstallBzip2, d.Signature.SafeFix);
        Assert.Contains("install bzip2", d.Signature.Fix);
    }

    [Fact]
    public void Bzip2_missing_is_diagnosed_from_the_seeds_zh_CN_tar_message()
    {
        const string log = """
            ERROR: /home/build/.cache/bazel/_bazel_build/4f1c/external/org_tensorflow/third_party/BUILD:12:1: Executing genrule @org_tensorflow//third_party:unpack failed (Exit 2)
            tar (child): bzip2：无法 exec: 没有那个文件或目录
            tar (child): Error is not recoverable: exiting now
            tar: Child returned status 2
            """;
        Assert.Equal("bzip2-missing", Single(log).Signature.Name);
    }

    [Fact]
    public void Compiler_killed_by_memory_exhaustion_suggests_fewer_jobs()
    {
        const string log = """
            ERROR: /home/build/serving/.cache/external/org_tensorflow/tensorflow/core/kernels/BUILD:3341:1: C++ compilation of rule '@org_tensorflow//tensorflow/core/kernels:cwise_op' failed (Exit 4)
            gcc: internal compiler error: Killed (program cc1plus)
            Please submit a full bug report,
            with preprocessed source if appropriate.
            See <http://bugzilla.redhat.com/bugzilla> for instructions.
            """;
        var d = Single(log);
        Assert.Equal("compiler-out-of-memory", d.Signature.Name);
        Assert.Contains("--jobs=1", d.Signature.Fix);
        Assert.Equal(SafeFix.None, d.Signature.SafeFix);
    }

    [Fact]
    public void Compiler_killed_is_also_recognised_in_newer_gcc_wording()
    {
        Assert.Equal("compiler-out-of-memory", Single("g++: fatal error: Killed signal terminated program cc1plus\ncompilation terminated.").Signature.Name);
    }

    [Fact]
    public void Bazel_too_new_for_the_checkout_is_a_version_mismatch()
    {
        const string log = """
            ERROR: error loading package '': Encountered error while reading extension file 'tensorflow/workspace.bzl': no such package '@org_tensorflow//tensorflow': Traceback (most recent call last):
            	File "/home/build/.cache/bazel/_bazel_build/5d2a/external/org_tensorflow/third_party/gpus/cuda_configure.bzl", line 9
            		load("//third_party/gpus:rocm_configure.bzl", <3 more arguments>)
            file '@local_config_cc//:cc_configure.bzl' does not contain symbol 'cc_autoconf_impl'
            INFO: Elapsed time: 3.102s
            """;
        var found = FailureCatalog.Diagnose(Lines(log));
        Assert.Equal("bazel-version-mismatch", found[0].Signature.Name);
        Assert.Contains("--install-bazel", found[0].Signature.Fix);
    }

    [Fact]
    public void Bazel_too_old_for_the_checkout_is_a_version_mismatch()
    {
        const string log = """
            ERROR: /home/build/serving/WORKSPACE:19:1: Traceback (most recent call last):
            	File "/home/build/serving/tensorflow/tensorflow/workspace.bzl", line 38
            		check_bazel_version_at_least("0.5.4")
            Current Bazel version is 0.4.5, expected at least 0.5.4
            """;
        Assert.Equal("bazel-version-mismatch", Single(log).Signature.Name);
    }

    [Fact]
    public void Checkout_without_its_tensorflow_submodule_says_git_submodule_update()
    {
        const string log = """
            ERROR: /home/build/serving/WORKSPACE:7:1: Unable to load package for '@org_tensorflow//tensorflow:workspace.bzl': BUILD file not found in directory 'tensorflow' of external repository @org_tensorflow. Add a BUILD file to a directory to mark it as a package.
            ERROR: error loading package '': Encountered error while reading extension file 'tensorflow/workspace.bzl': no such package '@org_tensorflow//tensorflow': BUILD file not found
            """;
        var d = FailureCatalog.Diagnose(Lines(log));
        Assert.Equal("tensorflow-submodule-missing", Assert.Single(d).Signature.Name);
        Assert.Contains("git submodule update --init --recursive", d[0].Signature.Fix);
    }

    [Fact]
    public void Mirror_answering_404_is_a_download_failure_with_the_distdir_fix()
    {
        const string log = """
            WARNING: Download from https://mirror.bazel.build/github.com/google/boringssl/archive/7f634429a04abc48e2eb041c81c5235816c96514.tar.gz failed: class com.google.devtools.build.lib.bazel.repository.downloader.UnrecoverableHttpException GET returned 404 Not Found
            ERROR: An error occurred during the fetch of repository 'boringssl':
            java.io.IOException: Error downloading [https://mirror.bazel.build/github.com/google/boringssl/archive/7f634429a04abc48e2eb041c81c5235816c96514.tar.gz, https://github.com/google/boringssl/archive/7f634429a04abc48e2eb041c81c5235816c96514.tar.gz] to /root/.cache/bazel/_bazel_root/1d4c/external/boringssl/7f634429a04abc48e2eb041c81c5235816c96514.tar.gz: Checksum was 1188e29000013ed6517168600fc35a010d58c5d321846d6a6dfee74e4c788b45 but wanted 76e7c3b6a2e9d2e82ad8f26eb3a9bd2e7b8a2b07ab24e6bcb6cc3bcb37e3dd2a
            """;
        var d = Single(log);
        Assert.Equal("download-failed", d.Signature.Name);
        Assert.Contains("--distdir", d.Signature.Fix);
    }

    [Fact]
    public void Old_system_libcurl_without_http2_is_diagnosed()
    {
        const string log = """
            ERROR: /home/build/tensorflow/tensorflow/core/platform/cloud/BUILD:84:1: C++ compilation of rule '//tensorflow/core/platform/cloud:curl_http_request' failed: gcc failed: error executing command /usr/bin/gcc -U_FORTIFY_SOURCE -fstack-protector -Wall ... -c tensorflow/core/platform/cloud/curl_http_request.cc
            tensorflow/core/platform/cloud/curl_http_request.cc: In member function 'tensorflow::Status tensorflow::CurlHttpRequest::Send()':
            tensorflow/core/platform/cloud/curl_http_request.cc:362:36: error: 'CURL_HTTP_VERSION_2_0' was not declared in this scope
            """;
        Assert.Equal("curl-http2-undeclared", Single(log).Signature.Name);
    }

    [Fact]
    public void Old_system_libcurl_in_C_wording_is_diagnosed_too()
    {
        Assert.Equal("curl-http2-undeclared", Single("lib/http.c:1742:18: error: 'CURL_HTTP_VERSION_2_0' undeclared (first use in this function)").Signature.Name);
    }

    [Fact]
    public void Gcc_4_8_on_CentOS_7_is_too_old_for_Cxx17()
    {
        const string log = """
            ERROR: /home/build/serving/tensorflow_serving/model_servers/BUILD:301:1: C++ compilation of rule '//tensorflow_serving/model_servers:server_lib' failed (Exit 1)
            gcc: error: unrecognized command line option '-std=c++17'
            Target //tensorflow_serving/model_servers:tensorflow_model_server failed to build
            """;
        var d = Single(log);
        Assert.Equal("gcc-too-old", d.Signature.Name);
        Assert.Contains("devtoolset", d.Signature.Fix);
    }

    [Fact]
    public void A_successful_build_log_matches_no_signature()
    {
        const string log = """
            INFO: Analyzed target //tensorflow_serving/model_servers:tensorflow_model_server (0 packages loaded, 0 targets configured).
            INFO: Found 1 target...
            Target //tensorflow_serving/model_servers:tensorflow_model_server up-to-date:
              bazel-bin/tensorflow_serving/model_servers/tensorflow_model_server
            INFO: Elapsed time: 0.412s, Critical Path: 0.01s
            INFO: 1 process: 1 internal.
            INFO: Build completed successfully, 1 total action
            """;
        Assert.Empty(FailureCatalog.Diagnose(Lines(log)));
    }

    [Fact]
    public void Two_causes_in_one_log_are_both_reported_in_catalog_order()
    {
        const string log = """
            tar (child): bzip2: Cannot exec: No such file or directory
            external/curl/lib/if2ip.c:6:10: fatal error: stropts.h: No such file or directory
            """;
        var names = FailureCatalog.Diagnose(Lines(log)).Select(d => d.Signature.Name).ToArray();
        Assert.Equal(["stropts-h-missing", "bzip2-missing"], names);
    }

    [Fact]
    public void Every_signature_has_a_distinct_name_a_cause_and_a_fix()
    {
        Assert.Equal(FailureCatalog.All.Count, FailureCatalog.All.Select(s => s.Name).Distinct().Count());
        Assert.All(FailureCatalog.All, s =>
        {
            Assert.False(string.IsNullOrWhiteSpace(s.Cause));
            Assert.False(string.IsNullOrWhiteSpace(s.Fix));
            Assert.DoesNotContain('\n', s.Fix);
        });
    }
}
