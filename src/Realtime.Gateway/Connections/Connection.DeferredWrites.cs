namespace Realtime.Gateway.Connections;

/// <summary>
/// Writes held back while a batch of pushes is queued: inside a <see cref="DeferWrites"/> scope,
/// a connection whose write loop <see cref="Send"/> would start waits for the scope's end, so a
/// connection with several pushes in the batch writes them in one go.
/// </summary>
internal sealed partial class Connection
{
    /// <summary>Whether this thread is inside a <see cref="DeferWrites"/> scope.</summary>
    [ThreadStatic]
    private static bool t_deferring;

    /// <summary>The connections whose write loops wait for the end of this thread's scope (reused).</summary>
    [ThreadStatic]
    private static List<Connection>? t_held;

    /// <summary>Until the result is disposed, write loops started on this thread wait, then start together.</summary>
    internal static DeferredWrites DeferWrites()
    {
        if (t_deferring)
        {
            return default;
        }

        t_deferring = true;
        return new DeferredWrites(owner: true);
    }

    private void StartWriting()
    {
        if (t_deferring)
        {
            (t_held ??= []).Add(this);
        }
        else
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    /// <summary>The scope of <see cref="DeferWrites"/>: disposing it starts the write loops it held.</summary>
    internal readonly struct DeferredWrites(bool owner) : IDisposable
    {
        public void Dispose()
        {
            if (!owner)
            {
                return;
            }

            t_deferring = false;
            if (t_held is not { Count: > 0 } held)
            {
                return;
            }

            foreach (var connection in held)
            {
                ThreadPool.UnsafeQueueUserWorkItem(connection, preferLocal: false);
            }

            held.Clear();
        }
    }
}
