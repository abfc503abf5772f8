namespace Realtime.Grains.Streaming;

/// <summary>A produce found its queue full: the silo that reads it is not keeping up (or not reading it).</summary>
[GenerateSerializer, Alias("realtime.RealtimeQueueFullException")]
public sealed class RealtimeQueueFullException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RealtimeQueueFullException()
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public RealtimeQueueFullException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and its cause.</summary>
    public RealtimeQueueFullException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
