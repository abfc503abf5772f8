namespace Realtime.Delivery;

/// <summary>An item on a gateway's stream.</summary>
[GenerateSerializer, Immutable, Alias("realtime.GatewayMessage")]
public abstract record GatewayMessage;
