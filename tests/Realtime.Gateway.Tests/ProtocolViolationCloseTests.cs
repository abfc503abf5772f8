using System.Text;

namespace Realtime.Gateway.Tests;

/// <summary>
/// A client that breaks the WebSocket protocol gets the close frame that says why (1002, 1007)
/// before the connection ends, every time: never a reset that loses the close.
/// </summary>
public sealed class ProtocolViolationCloseTests
{
    private const int Tries = 12;

    public static TheoryData<string, byte, bool, byte[], int> Violations => new()
    {
        { "an unmasked frame", 0x81, false, Encoding.UTF8.GetBytes("""{"type":"system","action":"ping"}"""), 1002 },
        { "a text frame that is not UTF-8", 0x81, true, [0x7B, 0xC3, 0x28, 0x7D], 1007 },
        { "a reserved opcode", 0x83, true, [0x01], 1002 },
        { "a reserved bit", 0xC1, true, Encoding.UTF8.GetBytes("{}"), 1002 },
    };

    [Theory]
    [MemberData(nameof(Violations))]
    public async Task TheCloseFrameReachesTheClientBeforeTheConnectionEnds(string what, byte first, bool masked, byte[] payload, int code)
    {
        await using var server = await GatewayServer.StartOnFakeAsync();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, Tries).Select(async _ =>
        {
            await using var raw = await RawWebSocket.ConnectAsync(server.WsUri);
            await raw.SendFrameAsync(first, payload, masked);
            return await raw.ReadToEndAsync();
        }));

        Assert.All(outcomes, outcome => Assert.Equal(code, outcome.CloseCode));
        Assert.True(outcomes.Length == Tries, what);
        server.Logs.AssertNoUnexpectedErrors();
    }
}
