namespace PaperGao.Core.Realtime;

/// <summary>One message for one client: the event name (the subscription string as submitted) and compact JSON data.</summary>
public sealed record RealtimeMessage(string Event, ReadOnlyMemory<byte> Data);
