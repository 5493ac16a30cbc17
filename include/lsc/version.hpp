// lsc — log-sigmoid-centred reward utilities. SPDX-License-Identifier: MIT
#ifndef LSC_VERSION_HPP
#define LSC_VERSION_HPP

#define LSC_VERSION_MAJOR 0
#define LSC_VERSION_MINOR 1
#define LSC_VERSION_PATCH 0

#endif  // LSC_VERSION_HPP
