namespace PaperGao.Core.Net;

/// <summary>An outbound request the guard refused or cut off; the message is safe to show to the caller.</summary>
public sealed class OutboundException(string message) : Exception(message);
