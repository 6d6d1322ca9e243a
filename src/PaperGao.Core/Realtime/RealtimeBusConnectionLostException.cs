namespace PaperGao.Core.Realtime;

/// <summary>
/// The bus's listening connection was lost (PostgreSQL shut down or restarted, the backend terminated by an
/// administrator, the network) and the bus is opening a new one: a reconnect, not a failure of the fan-out. Handed to the
/// bus's error callback so the host can log it quietly; the cause is the inner exception.
/// </summary>
public sealed class RealtimeBusConnectionLostException(Exception cause)
    : Exception("The realtime bus lost its listening connection and reconnects: " + cause.Message, cause);
