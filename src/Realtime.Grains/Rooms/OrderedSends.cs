namespace Realtime.Grains.Rooms;

/// <summary>
/// A sequencer's stream items in the order it made them: requests interleave, and each item must
/// reach its gateway's stream after every item made before it. A failed send fails its own caller only.
/// </summary>
internal sealed class OrderedSends
{
    private Task _sent = Task.CompletedTask;

    /// <summary>Starts <paramref name="send"/> once the previous send is done.</summary>
    public Task InOrder(Func<Task> send)
    {
        _sent = _sent.IsCompleted ? send() : After(_sent, send);
        return _sent;

        static async Task After(Task previous, Func<Task> send)
        {
            try
            {
                await previous;
            }
            catch
            {
                // Its own caller handles it.
            }

            await send();
        }
    }
}
