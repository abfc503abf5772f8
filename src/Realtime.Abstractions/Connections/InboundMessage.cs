namespace Realtime.Connections;

/// <summary>
/// An application frame on its way to a handler: <c>type</c>, <c>action</c> and the raw JSON of <c>data</c>
/// (empty when absent). A raw endpoint's message is <see cref="Raw"/>: its type is <see cref="RawType"/>,
/// its action the endpoint's path, its data the message (a JSON string, or bytes).
/// </summary>
[GenerateSerializer, Immutable, Alias("realtime.InboundMessage")]
public sealed record InboundMessage(
    [property: Id(0)] string Type,
    [property: Id(1)] string Action,
    [property: Id(2)] byte[] Data,
    [property: Id(3)] bool Raw = false)
{
    /// <summary>The type of every raw endpoint's messages.</summary>
    public const string RawType = "raw";
}
