namespace TensorFlowServing.Client;

/// <summary>How a <see cref="ServingClient"/> connects and retries.</summary>
public sealed record ServingClientOptions
{
    /// <summary>For https:// servers with a private CA: a PEM file holding the CA certificate(s) to trust.</summary>
    public string? CaFile { get; init; }

    /// <summary>The deadline of a call when the caller gives none.</summary>
    public TimeSpan DefaultTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts per call (first try included) while the server answers UNAVAILABLE; 1 disables retries.</summary>
    public int MaxAttempts { get; init; } = 5;

    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Largest response accepted, in bytes (gRPC's default of 4 MB is small for tensors).</summary>
    public int MaxReceiveMessageSize { get; init; } = 256 * 1024 * 1024;

    public int MaxSendMessageSize { get; init; } = 256 * 1024 * 1024;
}
