using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Realtime.Api;
using Realtime.Connections;
using Realtime.Events;
using Realtime.Grains.Events;

namespace Realtime.Grains.Tests;

/// <summary>Custom events and their subscribers on a two-silo cluster: matching, priority, middleware, lifecycle events, hooks.</summary>
public sealed class EventTests : OwnClusterTest
{
    private readonly EventRecorder _recorder = new();
    private int _flakyCalls;

    protected override short Silos => 2;

    protected override IDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Realtime:Presence:OfflineGracePeriod"] = "00:00:00",
    };

    protected override Action<Realtime.Grains.Handlers.RealtimeHandlerBuilder> Handlers => TestHandlers.Register;

    /// <summary>The realtime clock of both silos: the rate-limit window passes when a test says.</summary>
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    private RealtimeApi Api => new(Grains);

    protected override void ConfigureSilo(IServiceCollection services)
    {
        services.AddKeyedSingleton<TimeProvider>(RealtimeClock.Key, _clock);
        services.AddSingleton(_recorder);
        services.AddRealtimeHooks<RecordingHooks>();
        services.AddRealtimeSubscribers(s => s
            .On("once", context => Record(context, "once"))
            .Add(new RealtimeSubscriber { Name = "exact", Channel = "match.exact", Handler = context => Record(context, "exact") })
            .Add(new RealtimeSubscriber { Name = "list", Channels = ["match.one", "match.two"], Handler = context => Record(context, "list") })
            .Add(new RealtimeSubscriber { Name = "regex", Match = ChannelMatch.Regex("^match\\.r[0-9]+$"), Handler = context => Record(context, "regex") })
            .Add(new RealtimeSubscriber { Name = "predicate", Match = ChannelMatch.Where(c => c.EndsWith(".pred", StringComparison.Ordinal)), Handler = context => Record(context, "predicate") })
            .Add(new RealtimeSubscriber { Name = "mixed", Match = ChannelMatch.Any("match.m", ChannelMatch.Regex("^mix\\.")), Handler = context => Record(context, "mixed") })
            .Add(new RealtimeSubscriber { Name = "low", Channel = "prio", Priority = 1, Handler = context => Record(context, "low") })
            .Add(new RealtimeSubscriber { Name = "high", Channel = "prio", Priority = 10, Handler = context => Record(context, "high") })
            .Add(new RealtimeSubscriber { Name = "middle", Channel = "prio", Priority = 5, Handler = context => Record(context, "middle") })
            .Add(new RealtimeSubscriber
            {
                Name = "phases",
                Channel = "phases",
                OnBefore = context => ValueTask.FromResult(context.PayloadAs<Flags>()!.Run),
                OnAfter = context => Recorded(context, "after"),
                OnError = async (context, exception) =>
                {
                    await Recorded(context, "error:" + exception.Message);
                    return context.PayloadAs<Flags>()!.Suppress;
                },
                Handler = context => context.PayloadAs<Flags>()!.Fail ? throw new InvalidOperationException("boom") : Record(context, "handler"),
            })
            .Add(new RealtimeSubscriber
            {
                Name = "flaky",
                Channel = "retry",
                Middleware = [SubscriberMiddlewares.Retry(attempts: 3, initialDelay: TimeSpan.FromMilliseconds(50), backoffFactor: 2)],
                Handler = context =>
                {
                    Record(context, "attempt " + context.Attempt);
                    return Interlocked.Increment(ref _flakyCalls) % 3 != 0 ? throw new InvalidOperationException("not yet") : Task.CompletedTask;
                },
            })
            .Add(new RealtimeSubscriber
            {
                Name = "limited",
                Channel = "limited",
                Middleware = [SubscriberMiddlewares.RateLimit(2, TimeSpan.FromSeconds(1))],
                Handler = context => Record(context, "limited"),
            })
            .Add(new RealtimeSubscriber
            {
                Name = "validated",
                Channel = "validated",
                Middleware =
                [
                    SubscriberMiddlewares.ErrorHandler((context, exception) => Recorded(context, "invalid")),
                    SubscriberMiddlewares.Validate<Order>(order => order is { Amount: > 0 } ? null : "the amount must be positive"),
                ],
                Handler = context => Record(context, "valid"),
            })
            .Add(new RealtimeSubscriber
            {
                Name = "composed",
                Channel = "composed",
                Middleware =
                [
                    SubscriberMiddlewares.Compose(
                        SubscriberMiddlewares.Filter(context => context.PayloadAs<Flags>()!.Run),
                        SubscriberMiddlewares.Timing((context, elapsed) => _recorder.Add("timed", context.Channel, context.Event.Id)),
                        SubscriberMiddlewares.Logging(LogLevel.Warning)),
                ],
                Handler = context => Record(context, "composed"),
            })
            .Add<LifecycleSubscriber>());
    }

    [Fact]
    public async Task EachEventIsHandledOnceAcrossTwoSilos()
    {
        var ids = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            var realtimeEvent = RealtimeEvent.Create("once", new { i });
            ids.Add(realtimeEvent.Id);
            await Api.PublishEventAsync(realtimeEvent);
        }

        await _recorder.WaitForAsync(r => r.What == "once", 40, "forty events handled");
        await Api.PublishEventAsync("once", new { last = true });
        await _recorder.WaitForAsync(r => r.What == "once", 41, "the last event handled");

        Assert.Equal(ids.Order(), _recorder.All.Where(r => r.What == "once").Select(r => r.EventId!).Take(40).Order());
        Assert.Equal(41, _recorder.All.Count(r => r.What == "once"));
    }

    [Theory]
    [InlineData("match.exact", "exact")]
    [InlineData("match.two", "list")]
    [InlineData("match.r42", "regex")]
    [InlineData("anything.pred", "predicate")]
    [InlineData("match.m", "mixed")]
    [InlineData("mix.other", "mixed")]
    public async Task SubscribersTakeTheirChannelsByEachKindOfMatch(string channel, string subscriber)
    {
        await Api.PublishEventAsync(channel, new { });
        await Api.PublishEventAsync("match.none", new { });
        await Api.PublishEventAsync(channel, new { });

        await _recorder.WaitForAsync(r => r.Channel == channel, 2, $"two events on {channel}");
        Assert.All(_recorder.All.Where(r => r.Channel == channel), r => Assert.Equal(subscriber, r.What));
        Assert.DoesNotContain(_recorder.All, r => r.Channel == "match.none");
    }

    [Fact]
    public async Task HigherPriorityRunsFirst()
    {
        await Api.PublishEventAsync("prio", new { });

        await _recorder.WaitForAsync(r => r.Channel == "prio", 3, "the three subscribers");
        Assert.Equal(["high", "middle", "low"], _recorder.All.Where(r => r.Channel == "prio").Select(r => r.What));
    }

    [Fact]
    public async Task OnBeforeMaySkipOnAfterFollowsAndOnErrorMaySuppress()
    {
        Logs.Expect(e => e.Exception?.Message == "boom" && e.Message.Contains("phases", StringComparison.Ordinal));
        await Api.PublishEventAsync("phases", new Flags(Run: false));
        await Api.PublishEventAsync("phases", new Flags(Run: true));
        await Api.PublishEventAsync("phases", new Flags(Run: true, Fail: true, Suppress: true));
        await Api.PublishEventAsync("phases", new Flags(Run: true, Fail: true, Suppress: false));

        await _recorder.WaitForAsync(r => r.Channel == "phases", 4, "the phases");
        await TestWait.Until(() => Task.FromResult(Logs.Entries.Any(e => e.Exception?.Message == "boom")), "the unsuppressed error to be logged");
        Assert.Equal(["handler", "after", "error:boom", "error:boom"], _recorder.All.Where(r => r.Channel == "phases").Select(r => r.What));
        Assert.Single(Logs.Entries, e => e.Exception?.Message == "boom");
    }

    [Fact]
    public async Task RetryTriesAgainWithAGrowingDelay()
    {
        await Api.PublishEventAsync("retry", new { });

        await _recorder.WaitForAsync(r => r.Channel == "retry", 3, "three attempts");
        var attempts = _recorder.All.Where(r => r.Channel == "retry").ToList();
        Assert.Equal(["attempt 1", "attempt 2", "attempt 3"], attempts.Select(r => r.What));
        var first = System.Diagnostics.Stopwatch.GetElapsedTime(attempts[0].Timestamp, attempts[1].Timestamp);
        var second = System.Diagnostics.Stopwatch.GetElapsedTime(attempts[1].Timestamp, attempts[2].Timestamp);
        // Timers may fire a millisecond early.
        Assert.True(first >= TimeSpan.FromMilliseconds(45), $"waited {first} before the second attempt");
        Assert.True(second >= TimeSpan.FromMilliseconds(95), $"waited {second} before the third attempt");
    }

    [Fact]
    public async Task RateLimitTakesSoManyPerWindow()
    {
        for (var i = 0; i < 5; i++)
        {
            await Api.PublishEventAsync("limited", new { i });
        }

        // Events of a channel run in order: once three were skipped, all five were seen.
        await TestWait.Until(() => Task.FromResult(Logs.Entries.Count(e => e.Message.Contains("limited skipped event", StringComparison.Ordinal)) >= 3), "three events to be skipped");
        var inFirstWindow = _recorder.All.Count(r => r.Channel == "limited");
        _clock.Advance(TimeSpan.FromSeconds(1.2));
        await Api.PublishEventAsync("limited", new { late = true });
        await _recorder.WaitForAsync(r => r.Channel == "limited", inFirstWindow + 1, "an event in the next window");

        Assert.Equal(2, inFirstWindow);
    }

    [Fact]
    public async Task ValidationKeepsBadEventsFromTheHandler()
    {
        await Api.PublishEventAsync("validated", new Order(-5));
        await Api.PublishEventAsync("validated", new Order(10));

        await _recorder.WaitForAsync(r => r.Channel == "validated", 2, "both events");
        Assert.Equal(["invalid", "valid"], _recorder.All.Where(r => r.Channel == "validated").Select(r => r.What));
    }

    [Fact]
    public async Task ComposedFilterTimingAndLoggingRunInOrder()
    {
        await Api.PublishEventAsync("composed", new Flags(Run: false));
        await Api.PublishEventAsync("composed", new Flags(Run: true));

        await _recorder.WaitForAsync(r => r.Channel == "composed", 2, "the composed subscriber");
        Assert.Equal(["composed", "timed"], _recorder.All.Where(r => r.Channel == "composed").Select(r => r.What));
        Assert.Contains(Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("composed handled event", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheSubscribersAreListedAtStartUp()
    {
        await Task.CompletedTask;
        Assert.Contains(Logs.Entries, e => e.EventId.Id == 1002 && e.Message.Contains("high on prio (priority 10)", StringComparison.Ordinal));
        Assert.Contains(Logs.Entries, e => e.EventId.Id == 1002 && e.Message.Contains("Tells the test what happened to connections", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LifecycleEventsAndHooksFollowAConnection()
    {
        var clientId = Keys.Client();
        var userId = Keys.User();
        var client = Grains.GetClientGrain(clientId);
        var room = Keys.Room();

        await client.Connect(new ClientRegistration(userId, "gw_x", "/ws", [], DateTimeOffset.UtcNow));
        await client.JoinRoom(new ClientJoinRequest(room, null, null));
        await client.Handle(new InboundMessage("math", "divide", []));
        await client.LeaveRoom(room);
        await Api.SendToAllAsync(RealtimePush.Create("news", "flash", new { }));
        await Api.DisconnectClientAsync(clientId, 1008, "bye");
        await client.Disconnect();

        string[] expected =
        [
            "hook:connected", "realtime.client.connected", "realtime.user.online", "realtime.client.joinedRoom",
            "hook:message", "hook:error", "realtime.messageError", "realtime.client.leftRoom",
            "realtime.sendMessageToAll", "realtime.disconnectClient", "realtime.user.offline", "realtime.client.disconnected", "hook:disconnected",
        ];
        HashSet<string> Seen() => _recorder.All.Where(r => r.What == "lifecycle" || r.What.StartsWith("hook:", StringComparison.Ordinal))
            .Select(r => r.What == "lifecycle" ? r.Channel : r.What).ToHashSet();

        // Each kind seen (a count would be reached early by another test's connection).
        await TestWait.Until(() => Task.FromResult(Seen().IsSupersetOf(expected)), "every lifecycle event and hook");
        Assert.Equal(expected.Order(), Seen().Order());
    }

    private Task Record(RealtimeEventContext context, string what)
    {
        _recorder.Add(what, context.Channel, context.Event.Id);
        return Task.CompletedTask;
    }

    private ValueTask Recorded(RealtimeEventContext context, string what)
    {
        _recorder.Add(what, context.Channel, context.Event.Id);
        return ValueTask.CompletedTask;
    }

    public sealed record Flags(bool Run = true, bool Fail = false, bool Suppress = false);

    public sealed record Order(int Amount);

    private sealed class LifecycleSubscriber(EventRecorder recorder) : RealtimeSubscriberBase
    {
        public override string Description => "Tells the test what happened to connections";

        public override ChannelMatch Match => ChannelMatch.Regex("^realtime\\.");

        public override Task HandleAsync(RealtimeEventContext context)
        {
            recorder.Add("lifecycle", context.Channel, context.Event.Id);
            return Task.CompletedTask;
        }
    }

    private sealed class RecordingHooks(EventRecorder recorder) : RealtimeHooks
    {
        public override Task OnConnectedAsync(ClientInfo client, CancellationToken cancellationToken) => Add("hook:connected");

        public override Task OnDisconnectedAsync(ClientInfo client, CancellationToken cancellationToken) => Add("hook:disconnected");

        public override Task OnMessageAsync(MessageInfo message, CancellationToken cancellationToken) => Add("hook:message");

        public override Task OnErrorAsync(MessageInfo message, string code, string error, CancellationToken cancellationToken) => Add("hook:error");

        private Task Add(string what)
        {
            recorder.Add(what, "");
            return Task.CompletedTask;
        }
    }
}
