"""An IVR corpus shopper was not fitted to: TwiML apps in the styles of public samples,
scenarios that shop them, and labels written from the apps' own behaviour."""
