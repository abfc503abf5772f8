namespace Realtime.Delivery;

/// <summary>Close these local connections with <paramref name="CloseCode"/> and <paramref name="Reason"/>, after what is already queued for them.</summary>
[GenerateSerializer, Immutable, Alias("realtime.DisconnectCommand")]
public sealed record DisconnectCommand(
    [property: Id(0)] string[] ClientIds,
    [property: Id(1)] int CloseCode,
    [property: Id(2)] string Reason) : GatewayMessage;
