using Orleans.Concurrency;

namespace Realtime.Delivery;

/// <summary>
/// Where a gateway sends the answers to server requests: one object per process that asks (a silo,
/// a gateway, an application service), never a grain activation per request.
/// </summary>
[Alias("realtime.IRequestAnswers")]
public interface IRequestAnswers : IGrainObserver
{
    /// <summary>The answer to the request <paramref name="rid"/>; one that nobody waits for any more is dropped.</summary>
    [OneWay, Alias("Answer")]
    Task Answer(string rid, ClientAnswer answer);
}
