// SPDX-License-Identifier: Apache-2.0
// The frame_tracking._frame_tracking extension module: the C++ core, OTLP exporter and Redis transport for Python.
#include "bindings.hpp"

PYBIND11_MODULE(_frame_tracking, m) {
  namespace ft = frame_tracking::python;
  m.doc() = "frame-tracking: per-frame distributed tracing (FrameID, W3C propagation, OTLP export, Redis Streams).";
  ft::bind_ids(m);
  ft::bind_context(m);
  ft::bind_tracing(m);
#if FRAME_TRACKING_PY_HAS_REDIS
  ft::bind_redis(m);
#endif
  m.attr("__version__") = FRAME_TRACKING_VERSION;
  m.attr("HAS_REDIS") = static_cast<bool>(FRAME_TRACKING_PY_HAS_REDIS);
}
