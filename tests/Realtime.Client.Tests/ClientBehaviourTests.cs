using System.Net.WebSockets;
using System.Threading.Channels;

namespace Realtime.Client.Tests;

/// <summary>The .NET client as people know clients to behave: fail-fast first connect, close details, async and typed handlers, the token in a header.</summary>
[Collection(ClientCollection.Name)]
public sealed class ClientBehaviourTests(ClientFixture fixture) : LogCheckedTest
{
    private GatewayServer Server => fixture.Server;

    protected override LogCapture Logs => Server.Logs;

    private static Uri Nowhere() => new($"ws://127.0.0.1:{FreePorts.Next()}/ws");

    public sealed record Message(string Text);

    [Fact]
    public async Task AFirstConnectThatCannotBeMadeFailsAtOnceWithClosedSayingWhy()
    {
        var closed = new TaskCompletionSource<RealtimeClosedInfo>(TaskCreationOptions.RunContinuationsAsynchronously);
        var attempts = 0;
        await using var client = fixture.NewClient(o =>
        {
            o.Uri = Nowhere();
            o.FallbackUris.Add(Nowhere());
            o.ConfigureWebSocket = _ => Interlocked.Increment(ref attempts);
        });
        client.Closed += info => closed.TrySetResult(info);

        await Assert.ThrowsAnyAsync<WebSocketException>(() => client.ConnectAsync().Within("the first connect to fail"));

        var info = await closed.Task.Within("Closed");
        Assert.NotNull(info.Exception);
        Assert.Null(info.CloseCode);
        Assert.Equal(2, attempts);
        Assert.Equal(RealtimeConnectionState.Disconnected, client.State);
    }

    [Fact]
    public async Task TheFirstConnectTriesEachEndpointOnceAndCanBeCalledAgainAfterAFailure()
    {
        await using var client = fixture.NewClient(o =>
        {
            o.Uri = Nowhere();
            o.FallbackUris.Add(Server.WsUri);
        });

        await client.ConnectAsync().Within("the connect through the fallback");
        Assert.Equal(RealtimeConnectionState.Connected, client.State);

        await using var later = fixture.NewClient(o => o.Uri = Nowhere());
        await Assert.ThrowsAnyAsync<WebSocketException>(() => later.ConnectAsync().Within("the first failure"));
        await Assert.ThrowsAnyAsync<WebSocketException>(() => later.ConnectAsync().Within("a second try, tried again"));
    }

    [Fact]
    public async Task WhenTheRetryPolicyGivesUpClosedHasTheServersCodeAndReason()
    {
        var closed = new TaskCompletionSource<RealtimeClosedInfo>(TaskCreationOptions.RunContinuationsAsynchronously);
        var policy = new RecordingPolicy();
        await using var client = fixture.NewClient(o => o.RetryPolicy = policy);
        client.Closed += info => closed.TrySetResult(info);
        await client.ConnectAsync();

        await client.RequestAsync("test", "kickme");

        var info = await closed.Task.Within("Closed after the kick");
        Assert.Equal((1001, "test kick"), (info.CloseCode, info.Reason));
        var asked = Assert.Single(policy.Asked);
        Assert.Equal((0, 1001), (asked.PreviousRetryCount, asked.CloseCode));
        Assert.Equal(RealtimeConnectionState.Disconnected, client.State);
    }

    [Fact]
    public async Task AsyncHandlersRunOneAtATimeInOrderAndTypedHandlersGetTheData()
    {
        var room = TestIds.Room();
        await using var client = fixture.NewClient();
        await client.ConnectAsync();
        await client.JoinAsync(room);
        await using var publisher = await Server.ConnectAsync();
        await publisher.JoinAsync(room);
        await using var witness = await Server.ConnectAsync();
        await witness.JoinAsync(room);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var steps = Channel.CreateUnbounded<string>();
        using var asynchronous = client.On("chat", "message", async push =>
        {
            var n = push.Data.GetProperty("text").GetString();
            steps.Writer.TryWrite("start " + n);
            if (n == "1")
            {
                await gate.Task;
            }

            steps.Writer.TryWrite("end " + n);
        });
        var typed = Channel.CreateUnbounded<string>();
        using var typedSubscription = client.On<Message>("chat", "message", message => typed.Writer.TryWrite(message!.Text));

        try
        {
            await publisher.PublishAsync(room, new { text = "1" });
            await publisher.PublishAsync(room, new { text = "2" });
            await witness.NextPushAsync("the witness's first push");
            await witness.NextPushAsync("the witness's second push");
            Assert.Equal("start 1", await steps.Reader.ReadAsync().AsTask().Within("the first handler"));
        }
        finally
        {
            gate.TrySetResult();
        }

        string[] expected = ["end 1", "start 2", "end 2"];
        foreach (var step in expected)
        {
            Assert.Equal(step, await steps.Reader.ReadAsync().AsTask().Within(step));
        }

        Assert.Equal("1", await typed.Reader.ReadAsync().AsTask().Within("the first typed push"));
        Assert.Equal("2", await typed.Reader.ReadAsync().AsTask().Within("the second typed push"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TheTokenGoesInTheAuthorizationHeaderOrTheQuery(bool inQuery)
    {
        await using var server = await GatewayServer.StartAsync(Tokens.Settings(allowAnonymous: false));
        var user = TestIds.User();
        await using var client = new RealtimeClient(new RealtimeClientOptions
        {
            Uri = server.WsUri,
            TokenInQuery = inQuery,
            TokenProvider = _ => ValueTask.FromResult<string?>(Tokens.Create(user)),
        });

        await client.ConnectAsync();

        Assert.Equal(user, client.UserId);
    }

    private sealed class RecordingPolicy : IRealtimeRetryPolicy
    {
        public List<RealtimeRetryContext> Asked { get; } = [];

        public TimeSpan? NextRetryDelay(RealtimeRetryContext context)
        {
            lock (Asked)
            {
                Asked.Add(context);
            }

            return null;
        }
    }
}
