// clash/clash.h — umbrella header: everything an embedder needs, nothing else.
#pragma once

#include "clash/auth.h"
#include "clash/catalogue.h"
#include "clash/clock.h"
#include "clash/config.h"
#include "clash/engine.h"
#include "clash/log.h"
#include "clash/oauth.h"
#include "clash/ratelimit.h"
#include "clash/rng.h"
#include "clash/service_auth.h"
#include "clash/status.h"
#include "clash/storage.h"
#include "clash/tokens.h"
#include "clash/transport.h"
