namespace ServingBuild.Options;

/// <summary>How the rewritten protos are laid out in --protos-out.</summary>
public enum ProtoLayout
{
    /// <summary>model.proto, predict.proto, prediction_service.proto side by side, imports flattened (the seed's layout).</summary>
    Flat,

    /// <summary>Keep tensorflow_serving/apis/ paths.</summary>
    Upstream,
}
