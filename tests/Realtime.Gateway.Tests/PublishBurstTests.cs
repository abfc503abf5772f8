using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;

namespace Realtime.Gateway.Tests;

/// <summary>
/// A publish burst as large as the defaults let one client send, into a room whose members read
/// everything: nobody is cut, everybody gets every push, in order.
/// </summary>
public sealed class PublishBurstTests
{
    private const int PushBytes = 32 * 1024;
    private const int InFlight = 16;
    private const int Members = 4;

    /// <summary>
    /// A fresh embedded gateway with its shipped limits (as big a burst as they let one client send),
    /// and one with the client's rate limits off (4 MiB, four times a member's queue).
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task MembersThatKeepReadingAreNeverCutByABurst(bool rateLimitsOff)
    {
        await using var server = await GatewayServer.StartAsync(rateLimitsOff
            ? new Dictionary<string, string> { ["Realtime:Gateway:RateLimitPerSecond"] = "0", ["Realtime:Gateway:RateLimitBytesPerSecond"] = "0" }
            : null);
        var options = server.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Realtime.Gateway.Hosting.RealtimeGatewayOptions>>().Value;
        var pushes = rateLimitsOff ? 4 * 1024 * 1024 / PushBytes : (int)(options.RateLimitBytesBurst / (PushBytes + 200));
        var room = TestIds.Room();
        await using var publisher = await server.ConnectAsync();
        var members = new List<WsClient>();
        for (var i = 0; i < Members; i++)
        {
            var member = await server.ConnectAsync();
            members.Add(member);
            await member.JoinAsync(room);
        }

        try
        {
            await publisher.JoinAsync(room);
            var text = new string('x', PushBytes);
            var seqs = new List<long>();
            for (var sent = 0; sent < pushes; sent += InFlight)
            {
                var batch = Enumerable.Range(sent, Math.Min(InFlight, pushes - sent))
                    .Select(i => publisher.PublishAsync(room, new { text, i }, type: "burst"));
                seqs.AddRange(await Task.WhenAll(batch));
            }

            foreach (var member in members)
            {
                for (var i = 0; i < pushes; i++)
                {
                    var push = await member.NextPushAsync($"push {i + 1} of {pushes}", TimeSpan.FromSeconds(30));
                    Assert.Equal(seqs.Min() + i, push.Seq());
                }

                Assert.Equal(WebSocketState.Open, member.State);
            }

            server.Logs.AssertNoUnexpectedErrors();
        }
        finally
        {
            foreach (var member in members)
            {
                await member.DisposeAsync();
            }
        }
    }
}
