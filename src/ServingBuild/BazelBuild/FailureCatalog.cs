using System.Text.RegularExpressions;

namespace ServingBuild.BazelBuild;

/// <summary>
/// The known failures of TensorFlow Serving builds (serving#320, #869, #930, #1251, PR 1566, tensorflow#5349,
/// the seed's two errors), matched against a failed build's log. Order is the order causes are reported.
/// </summary>
public static class FailureCatalog
{
    private static Regex R(string pattern) => new(pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled);

    public static readonly FailureSignature StroptsMissing = new(
        "stropts-h-missing",
        [R(@"stropts\.h: No such file or directory"), R(@"stropts\.h：没有那个文件或目录")],
        "@curl//:curl includes <stropts.h>, which glibc 2.30 and later no longer ship",
        "create an empty shim: sudo touch /usr/include/stropts.h && sudo chmod 644 /usr/include/stropts.h (--auto-fix does this)",
        SafeFix.StroptsShim);

    public static readonly FailureSignature Bzip2Missing = new(
        "bzip2-missing",
        [R(@"bzip2: Cannot exec: No such file or directory"), R(@"bzip2\s*：\s*无法 exec"), R(@"bzip2: command not found")],
        "tar xjf needs the bzip2 program, and it is not on the build actions' PATH",
        "install bzip2 (sudo apt-get install -y bzip2, or sudo yum install -y bzip2) and make sure --action_env=PATH includes it (--auto-fix installs it)",
        SafeFix.InstallBzip2);

    public static readonly FailureSignature CompilerKilled = new(
        "compiler-out-of-memory",
        [
            R(@"internal compiler error: Killed"),
            R(@"Killed signal terminated program cc1"),
            R(@"virtual memory exhausted"),
            R(@"cc1plus: out of memory allocating"),
            R(@"collect2: fatal error: ld terminated with signal 9"),
        ],
        "the compiler was killed for lack of memory: too many parallel jobs for this host's RAM (a TensorFlow C++ job needs 2 to 4 GiB)",
        "rebuild with fewer jobs, e.g. --jobs=1 (or --bazel-opt=--local_ram_resources=HOST_RAM*.5), or add RAM or swap");

    public static readonly FailureSignature BazelVersion = new(
        "bazel-version-mismatch",
        [
            R(@"does not contain symbol '?cc_autoconf_impl'?"),
            R(@"Current Bazel version is .*, expected at least"),
            R(@"requires Bazel (version )?(>=|at least)"),
            R(@"is not supported by this version of Bazel"),
            R(@"Unrecognized option: --"),
        ],
        "the Bazel in use is too old or too new for this checkout's WORKSPACE and rules",
        "use the Bazel version the checkout pins (ENV BAZEL_VERSION in tensorflow_serving/tools/docker/Dockerfile.devel): rerun with --install-bazel, or --bazel=PATH to that version");

    public static readonly FailureSignature MissingSubmodule = new(
        "tensorflow-submodule-missing",
        [
            R(@"Unable to load (package|file) .*tensorflow[/:](tensorflow[/:])?workspace\.bzl"),
            R(@"no such package '@org_tensorflow//"),
            R(@"Extension file not found\. Unable to load package for '//tensorflow"),
            R(@"'tensorflow/tensorflow/workspace\.bzl' does not exist"),
            R(@"no such package 'tensorflow/tensorflow"),
        ],
        "the checkout lacks its TensorFlow sources (the tensorflow git submodule of 1.x-era serving, or the @org_tensorflow archive)",
        "in the serving checkout run: git submodule update --init --recursive (for 2.x, make sure @org_tensorflow can be fetched or is in --distdir)");

    public static readonly FailureSignature DownloadFailed = new(
        "download-failed",
        [
            R(@"Error downloading \[.*\]"),
            R(@"GET returned 40[34]"),
            R(@"Download from .* failed"),
            R(@"java\.net\.UnknownHostException"),
            R(@"Failed to download .* from any of the mirrors"),
            R(@"Unable to (tunnel through proxy|connect to)"),
        ],
        "Bazel could not download an external archive (a mirror answered 404, or the host has no network)",
        "check network and proxy; on an air-gapped host put the archives in a folder and pass --distdir=DIR (they are kept in the repository cache afterwards)");

    public static readonly FailureSignature CurlHttp2 = new(
        "curl-http2-undeclared",
        [R(@"CURL_HTTP_VERSION_2_0.*undeclared"), R(@"CURL_HTTP_VERSION_2_0.* was not declared")],
        "the system libcurl headers are older than 7.33 and lack CURL_HTTP_VERSION_2_0",
        "let Bazel build its own curl (remove curl from TF_SYSTEM_LIBS) or install a libcurl development package of 7.33 or newer");

    public static readonly FailureSignature GccTooOld = new(
        "gcc-too-old",
        [
            R(@"unrecognized command[ -]line option ['‘`]-std=c\+\+(17|1z)"),
            R(@"This file requires compiler and library support for the ISO C\+\+ 2017"),
            R(@"C\+\+17 or later compatible compiler is required"),
            R(@"#error .*requires at least C\+\+17"),
        ],
        "the C++ compiler is too old for C++17 (CentOS 7's gcc 4.8.5)",
        "use gcc 7 or newer: on CentOS 7 run the Provision stage (it installs centos-release-scl and devtoolset-11), then rebuild inside scl enable devtoolset-11 bash");

    public static readonly IReadOnlyList<FailureSignature> All =
        [StroptsMissing, Bzip2Missing, CompilerKilled, BazelVersion, MissingSubmodule, DownloadFailed, CurlHttp2, GccTooOld];

    /// <summary>Every known signature in the log, in catalog order.</summary>
    public static IReadOnlyList<Diagnosis> Diagnose(IReadOnlyList<string> logLines)
    {
        var found = new List<Diagnosis>();
        foreach (var signature in All)
        {
            if (signature.FirstMatch(logLines) is { } evidence)
            {
                found.Add(new Diagnosis(signature, evidence.Trim()));
            }
        }

        return found;
    }
}
