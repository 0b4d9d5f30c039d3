using Google.Protobuf;
using Tensorflow;
using Tensorflow.Serving;

namespace TensorFlowServing.Client;

/// <summary>
/// Builds a <see cref="PredictRequest"/>: which model (and optionally which version or version label, and
/// signature), the input tensors by alias, and which outputs to return.
/// <code>
/// var request = new PredictRequestBuilder("half_plus_two")
///     .Signature("serving_default")
///     .Input("x", Tensor.FromFloats([1, 2, 5], [3]))
///     .Build();
/// </code>
/// </summary>
public sealed class PredictRequestBuilder
{
    private readonly string _model;
    private readonly Dictionary<string, TensorProto> _inputs = new(StringComparer.Ordinal);
    private readonly List<string> _outputs = [];
    private long? _version;
    private string? _versionLabel;
    private string? _signature;

    public PredictRequestBuilder(string modelName)
    {
        if (string.IsNullOrWhiteSpace(modelName))
        {
            throw new ArgumentException("the model name is empty; pass the name the server was started with (--model_name)", nameof(modelName));
        }

        _model = modelName;
    }

    /// <summary>A specific version; without one (and without a label) the server uses its latest.</summary>
    public PredictRequestBuilder Version(long version)
    {
        if (_versionLabel is not null)
        {
            throw new InvalidOperationException($"version label '{_versionLabel}' is already set; a request names a version or a label, not both");
        }

        _version = version;
        return this;
    }

    /// <summary>A version label such as "stable" or "canary" (the server's --model_config_file assigns them).</summary>
    public PredictRequestBuilder VersionLabel(string label)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(label);
        if (_version is not null)
        {
            throw new InvalidOperationException($"version {_version} is already set; a request names a version or a label, not both");
        }

        _versionLabel = label;
        return this;
    }

    /// <summary>The signature to run; empty means the model's serving_default.</summary>
    public PredictRequestBuilder Signature(string signatureName)
    {
        ArgumentNullException.ThrowIfNull(signatureName);
        _signature = signatureName;
        return this;
    }

    public PredictRequestBuilder Input(string alias, TensorProto tensor)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(alias);
        ArgumentNullException.ThrowIfNull(tensor);
        if (!_inputs.TryAdd(alias, tensor))
        {
            throw new ArgumentException($"input '{alias}' is already set; each input alias appears once", nameof(alias));
        }

        return this;
    }

    /// <summary>Only these outputs are computed and returned; none named means all of the signature's outputs.</summary>
    public PredictRequestBuilder Output(params string[] aliases)
    {
        foreach (var alias in aliases)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(alias);
            if (!_outputs.Contains(alias, StringComparer.Ordinal))
            {
                _outputs.Add(alias);
            }
        }

        return this;
    }

    /// <summary>An opaque caller identity the server may log.</summary>
    public PredictRequestBuilder ClientId(ReadOnlySpan<byte> id)
    {
        _clientId = ByteString.CopyFrom(id);
        return this;
    }

    private ByteString? _clientId;

    public PredictRequest Build()
    {
        if (_inputs.Count == 0)
        {
            throw new InvalidOperationException($"the request for model '{_model}' has no inputs; add one with Input(alias, tensor)");
        }

        var spec = new ModelSpec { Name = _model };
        if (_version is { } v)
        {
            spec.Version = v;
        }
        else if (_versionLabel is not null)
        {
            spec.VersionLabel = _versionLabel;
        }

        if (_signature is not null)
        {
            spec.SignatureName = _signature;
        }

        var request = new PredictRequest { ModelSpec = spec };
        request.Inputs.Add(_inputs);
        request.OutputFilter.AddRange(_outputs);
        if (_clientId is not null)
        {
            request.ClientId = _clientId;
        }

        return request;
    }
}
