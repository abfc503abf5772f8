namespace Realtime.Connections;

/// <summary>An application frame on its way to a handler: <c>type</c>, <c>action</c> and the raw JSON of <c>data</c> (empty when absent).</summary>
[GenerateSerializer, Immutable, Alias("realtime.InboundMessage")]
public sealed record InboundMessage(
    [property: Id(0)] string Type,
    [property: Id(1)] string Action,
    [property: Id(2)] byte[] Data);
