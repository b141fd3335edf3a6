"""ethicscheck's recognizers for anti-trafficking data, registered explicitly (no subclass walking).

``RECOGNIZERS`` maps each entity type to the recognizer classes that find it.
"""

from ethicscheck.privacy.recognizers.crypto_wallet import CryptoWalletRecognizer
from ethicscheck.privacy.recognizers.email_address import DisguisedEmailRecognizer
from ethicscheck.privacy.recognizers.messenger_link import MessengerLinkRecognizer
from ethicscheck.privacy.recognizers.name_cue import NameCueRecognizer
from ethicscheck.privacy.recognizers.obfuscated_phone import ObfuscatedPhoneRecognizer
from ethicscheck.privacy.recognizers.social_handle import SocialHandleRecognizer

RECOGNIZERS = {
    "PHONE_NUMBER": (ObfuscatedPhoneRecognizer,),
    "SOCIAL_HANDLE": (SocialHandleRecognizer,),
    "EMAIL_ADDRESS": (DisguisedEmailRecognizer,),
    "MESSENGER_LINK": (MessengerLinkRecognizer,),
    "CRYPTO": (CryptoWalletRecognizer,),
    "PERSON": (NameCueRecognizer,),
}

__all__ = [
    "RECOGNIZERS",
    "CryptoWalletRecognizer",
    "DisguisedEmailRecognizer",
    "MessengerLinkRecognizer",
    "NameCueRecognizer",
    "ObfuscatedPhoneRecognizer",
    "SocialHandleRecognizer",
]
