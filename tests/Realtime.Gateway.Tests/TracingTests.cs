using System.Collections.ObjectModel;
using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Trace;
using Realtime.Hosting.Telemetry;

namespace Realtime.Gateway.Tests;

/// <summary>One publish is one trace: the frame on the gateway, the grain calls, the room's publish, the delivery to the members.</summary>
public sealed class TracingTests
{
    [Fact]
    public async Task APublishIsOneTraceFromItsFrameThroughTheRoomToTheDelivery()
    {
        // Activity sources are per process: other tests' gateways' spans arrive too, told apart by the room.
        var spans = new Spans();
        await using var server = await GatewayServer.StartAsync(
            new Dictionary<string, string> { ["Realtime:Gateway:RateLimitPerSecond"] = "0", [RealtimeTelemetry.TracingSetting] = "true" },
            builder => builder.AddOpenTelemetry().WithTracing(tracing => tracing.AddSource([.. RealtimeTelemetry.Sources]).AddInMemoryExporter(spans)));
        var room = TestIds.Room();
        await using var publisher = await server.ConnectAsync();
        await using var member = await server.ConnectAsync();
        await publisher.JoinAsync(room);
        await member.JoinAsync(room);
        var seq = await publisher.PublishAsync(room, new { text = "traced" });
        await member.NextPushAsync("the member's push");

        await TestWait.Until(() => Task.FromResult(spans.Snapshot().Any(s => s.OperationName == "realtime.deliver" && Equals(s.GetTagItem("realtime.room"), room) && Equals(s.GetTagItem("realtime.seq"), seq))), "the delivery's span");
        var all = spans.Snapshot();
        var deliver = all.Single(s => s.OperationName == "realtime.deliver" && Equals(s.GetTagItem("realtime.room"), room) && Equals(s.GetTagItem("realtime.seq"), seq));
        var trace = all.Where(s => s.TraceId == deliver.TraceId).ToList();
        var frame = Assert.Single(trace, s => s.OperationName == "realtime.frame");
        var publish = Assert.Single(trace, s => s.OperationName == "realtime.publish");

        Assert.Equal("publish", frame.GetTagItem("realtime.action"));
        Assert.Null(frame.ParentId);
        Assert.Equal(room, publish.GetTagItem("realtime.room"));
        Assert.Equal(publish.SpanId, deliver.ParentSpanId);
        Assert.Equal(1, deliver.GetTagItem("realtime.members")); // the publisher does not get its own push back
        Assert.Contains(trace, s => s.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal));

        // Each frame is its own trace: the room's joins are not in this one.
        Assert.DoesNotContain(trace, s => s.OperationName == "realtime.frame" && Equals(s.GetTagItem("realtime.action"), "join"));
    }

    /// <summary>What the exporter writes, read while it writes.</summary>
    private sealed class Spans : Collection<Activity>
    {
        private readonly Lock _lock = new();

        public Activity[] Snapshot()
        {
            lock (_lock)
            {
                return [.. Items];
            }
        }

        protected override void InsertItem(int index, Activity item)
        {
            lock (_lock)
            {
                base.InsertItem(index, item);
            }
        }
    }
}
