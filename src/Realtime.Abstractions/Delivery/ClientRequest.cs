namespace Realtime.Delivery;

/// <summary>
/// A server request to one local connection: <paramref name="Frame"/> is the push with
/// <paramref name="Rid"/>; the gateway sends the client's answer, or
/// <see cref="ClientAnswer.NotConnected"/>, to <paramref name="ReplyTo"/>, and drops an answer that
/// comes after <paramref name="TimeoutMs"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("realtime.ClientRequest")]
public sealed record ClientRequest(
    [property: Id(0)] string ClientId,
    [property: Id(1)] string Rid,
    [property: Id(2)] byte[] Frame,
    [property: Id(3)] long TimeoutMs,
    [property: Id(4)] IRequestAnswers ReplyTo) : GatewayMessage;
