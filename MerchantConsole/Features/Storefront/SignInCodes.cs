using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Features.Storefront;

public enum CodeCheck
{
    Accepted,
    /// <summary>No code is outstanding for the phone: never sent, already used, or voided by too many wrong guesses.</summary>
    NoCode,
    Expired,
    Wrong,
}

/// <summary>
/// The one-time sign-in codes waiting to be used, per merchant and phone: one at a time (a new one replaces the old),
/// expiring, single-use, and void after <see cref="StorefrontOptions.MaxCodeAttempts"/> wrong guesses. Only a hash is
/// kept. Held in memory: a code lives minutes, and a restart only means asking for another.
/// </summary>
public sealed class SignInCodes(TimeProvider clock, IOptions<StorefrontOptions> options)
{
    private sealed class Pending(byte[] hash, DateTimeOffset expiresAt)
    {
        public byte[] Hash { get; } = hash;
        public DateTimeOffset ExpiresAt { get; } = expiresAt;
        public int WrongAttempts { get; set; }
    }

    private readonly ConcurrentDictionary<(Guid Merchant, string Phone), Pending> _pending = new();

    /// <summary>A new six-digit code for the phone, replacing any outstanding one.</summary>
    public (string Code, DateTimeOffset ExpiresAt) Issue(Guid merchantId, string phone)
    {
        var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        var expiresAt = clock.GetUtcNow() + options.Value.CodeLifetime;
        _pending[(merchantId, phone)] = new Pending(Hash(code), expiresAt);
        return (code, expiresAt);
    }

    /// <summary>Checks a typed code; an accepted code is used up.</summary>
    public CodeCheck Check(Guid merchantId, string phone, string code)
    {
        var key = (merchantId, phone);
        if (!_pending.TryGetValue(key, out var pending))
            return CodeCheck.NoCode;
        lock (pending)
        {
            if (!_pending.TryGetValue(key, out var current) || !ReferenceEquals(current, pending))
                return CodeCheck.NoCode;
            if (clock.GetUtcNow() >= pending.ExpiresAt)
            {
                _pending.TryRemove(new KeyValuePair<(Guid, string), Pending>(key, pending));
                return CodeCheck.Expired;
            }
            if (!CryptographicOperations.FixedTimeEquals(pending.Hash, Hash(code.Trim())))
            {
                if (++pending.WrongAttempts >= options.Value.MaxCodeAttempts)
                    _pending.TryRemove(new KeyValuePair<(Guid, string), Pending>(key, pending));
                return CodeCheck.Wrong;
            }
            _pending.TryRemove(new KeyValuePair<(Guid, string), Pending>(key, pending));
            return CodeCheck.Accepted;
        }
    }

    private static byte[] Hash(string code) => SHA256.HashData(Encoding.UTF8.GetBytes(code));
}
