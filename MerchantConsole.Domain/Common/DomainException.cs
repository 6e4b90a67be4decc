namespace MerchantConsole.Domain.Common;

/// <summary>A rule refused a change. The message is meant for the person who asked for it.</summary>
public class DomainException(string message) : Exception(message);
